#!/usr/bin/env python3
"""A phone-side peer for the NAT harness's own tests (NatRouterTests), run inside the phone's namespace.

    nat_peer.py udp|tcp BIND_IP BIND_PORT DEST_IP DEST_PORT

Binds BIND_IP:BIND_PORT (and, for tcp, connects to DEST), prints "ready", then sends each line read from stdin to
DEST (a datagram, or the line and a newline on the connection) and prints "sent LINE"; prints "recv TEXT from IP:PORT"
for each datagram or line it receives, and "closed" when the connection ends. Exits when stdin closes.
"""
import socket
import sys
import threading


def receive_datagrams(sock):
    while True:
        data, (ip, port) = sock.recvfrom(65535)
        print(f"recv {data.decode(errors='replace')} from {ip}:{port}", flush=True)


def receive_lines(sock):
    ip, port = sock.getpeername()
    buffered = b""
    while True:
        chunk = sock.recv(65535)
        if not chunk:
            print("closed", flush=True)
            return
        buffered += chunk
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            print(f"recv {line.decode(errors='replace')} from {ip}:{port}", flush=True)


def main():
    transport, bind_ip, bind_port, dest_ip, dest_port = sys.argv[1:6]
    dest = (dest_ip, int(dest_port))
    stream = transport == "tcp"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM if stream else socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((bind_ip, int(bind_port)))
    if stream:
        sock.settimeout(10)
        sock.connect(dest)
        sock.settimeout(None)
    receiver = receive_lines if stream else receive_datagrams
    threading.Thread(target=receiver, args=(sock,), daemon=True).start()
    print("ready", flush=True)
    for line in sys.stdin:
        text = line.rstrip("\n")
        if stream:
            sock.sendall((text + "\n").encode())
        else:
            sock.sendto(text.encode(), dest)
        print(f"sent {text}", flush=True)


if __name__ == "__main__":
    main()
