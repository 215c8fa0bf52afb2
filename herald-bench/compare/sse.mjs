// A minimal Server-Sent Events reader over node:http, one connection each: the readers of both sides use it.
import http from 'node:http';
import zlib from 'node:zlib';

/**
 * Opens a stream; onEvent(type, data) for every event (a block with data), onReady() at the first block of any
 * kind (Herald's snapshot, the bridge's opening comment). Answers {close(), bytes()}: bytes() is what the socket
 * has read so far, framing and HTTP chunking included. Asks for gzip as a browser's EventSource does, and
 * inflates each chunk as it comes when the server sends it (Herald does; the bridge answers plain text).
 */
export function openSse({ host, port, path, headers }, onEvent, onReady, gzip = true) {
  let socket = null;
  let buffer = '';
  let ready = false;
  const req = http.get({ host, port, path, agent: false,
    headers: { Accept: 'text/event-stream', ...(gzip ? { 'Accept-Encoding': 'gzip' } : {}), ...headers } }, (res) => {
    if (res.statusCode !== 200) {
      res.resume();
      onReady(new Error(`HTTP ${res.statusCode} for ${path}`));
      return;
    }
    const body = res.headers['content-encoding'] === 'gzip'
      ? res.pipe(zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH })) : res;
    body.setEncoding('utf8');
    body.on('error', () => {});
    body.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!ready) {
          ready = true;
          onReady(null);
        }
        let type = 'message';
        let data = null;
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) type = line.slice(6).trim();
          else if (line.startsWith('data:')) data = line.slice(5).trim();
        }
        if (data !== null) onEvent(type, data);
      }
    });
  });
  req.on('socket', (s) => { socket = s; });
  req.on('error', (e) => { if (!ready) { ready = true; onReady(e); } });
  return {
    close: () => req.destroy(),
    bytes: () => (socket ? socket.bytesRead : 0),
  };
}
