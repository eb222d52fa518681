#!/usr/bin/env python3
"""Opens N SIP WebSocket connections (subprotocol sip) to one port and holds them until stdin closes.

Prints one line when all are open: "open N failed F". Plain or TLS (certificate not checked: the node's is
self-signed). The handshake is RFC 6455's, written by hand, so nothing but the standard library is needed.
"""
import base64
import os
import socket
import ssl
import sys


def handshake(host, port, secure):
    raw = socket.create_connection((host, port), timeout=10)
    sock = raw
    if secure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        sock = context.wrap_socket(raw, server_hostname=host)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer and len(answer) < 4096:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    if not answer.startswith(b"HTTP/1.1 101"):
        sock.close()
        raise OSError(answer.split(b"\r\n", 1)[0].decode(errors="replace") or "closed")
    return sock


def main():
    host, port, secure, count = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "wss", int(sys.argv[4])
    held, failed = [], 0
    for _ in range(count):
        try:
            held.append(handshake(host, port, secure))
        except OSError:
            failed += 1
    print(f"open {len(held)} failed {failed}", flush=True)
    sys.stdin.read()  # hold until the caller closes our stdin
    for sock in held:
        sock.close()


if __name__ == "__main__":
    main()
