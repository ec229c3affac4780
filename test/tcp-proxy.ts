import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 between the server and PostgreSQL, which a test can cut — at once, or the moment
 * the client sends a statement matching a pattern (mid-transaction) — and restore.
 */
export interface TcpProxy {
  port: number;
  /** Cut every connection the next time the client sends bytes containing `pattern`; refuse new ones. */
  cutOn(pattern: string): Promise<void>;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let refusing = false;
  let trigger: { pattern: string; fired: () => void } | null = null;
  const cutAll = () => {
    refusing = true;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (trigger && chunk.includes(trigger.pattern)) {
        const fired = trigger.fired;
        trigger = null;
        cutAll(); // the statement never reaches PostgreSQL
        fired();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(socket);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cutOn: (pattern) =>
      new Promise<void>((resolve) => {
        trigger = { pattern, fired: resolve };
      }),
    restore() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
