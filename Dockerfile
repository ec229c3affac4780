FROM node:20-bookworm-slim
# Chromium prints the PDF friction report (playwright-core drives it; no browser is downloaded).
RUN apt-get update && apt-get install -y --no-install-recommends chromium \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install -g npm@11 && npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV HOST=0.0.0.0 PORT=3000 NODE_ENV=production CHROMIUM_PATH=/usr/bin/chromium
EXPOSE 3000
CMD ["node", "bin/groundwork.js", "serve"]
