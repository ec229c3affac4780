import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Unit tests of the dashboard's pure logic (formatting, periods, routing, figure views), run by
// `npm run test:web` as part of `npm test`. Vitest fails when it finds no test file.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
