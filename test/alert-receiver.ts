// A Slack-like and webhook receiver on 127.0.0.1 for the alert notification tests: it records every request
// (headers and raw body), refuses the first `refusals` with 503, and can hold a request unanswered (while a
// test kills the sender).
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Answered 2xx: the sender may count it delivered. */
  accepted: boolean;
}

export interface AlertReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Requests still to refuse with 503 ("down for hours"). */
  refusals: number;
  /** Called as a request arrives; return 'hold' to never answer it. */
  onRequest: ((request: ReceivedRequest) => 'hold' | void) | null;
  accepted(path: string): ReceivedRequest[];
  close(): Promise<void>;
}

export async function startAlertReceiver(): Promise<AlertReceiver> {
  const receiver: AlertReceiver = {
    url: '',
    received: [],
    refusals: 0,
    onRequest: null,
    accepted: (path) => receiver.received.filter((r) => r.path === path && r.accepted),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        accepted: false,
      };
      receiver.received.push(request);
      if (receiver.onRequest?.(request) === 'hold') return;
      if (receiver.refusals > 0) {
        receiver.refusals--;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
        return;
      }
      request.accepted = true;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A held request must not keep the test process alive.
  server.unref();
  return receiver;
}
