#!/usr/bin/env python3
"""A stand-in instance metadata service (IMDSv2: PUT a token, GET with it) for ImdsGuardKernelIT.

Listens on every address given (IPv4 or IPv6 literals) on port 80, inside the test's own network
namespace, where the test made 169.254.169.254 and fd00:ec2::254 local. Prints "ready" when all
listeners are bound. "/" answers 200 without a token, so plain curl shows whether a user gets through.
"""
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "stand-in-token"
ITEMS = {
    "/latest/meta-data/public-ipv4": "203.0.113.10",
    "/latest/meta-data/local-ipv4": "10.0.0.5",
    "/latest/meta-data/instance-id": "i-0123456789abcdef0",
    "/latest/meta-data/instance-type": "t3.small",
    "/latest/meta-data/placement/region": "us-east-1",
    "/latest/meta-data/instance-life-cycle": "on-demand",
    "/latest/meta-data/iam/info": '{"Code":"Success","InstanceProfileArn":"arn:aws:iam::123456789012:instance-profile/seed"}',
    "/latest/meta-data/iam/security-credentials/seed": '{"AccessKeyId":"ASIA-STAND-IN","SecretAccessKey":"stand-in"}',
}


class Handler(BaseHTTPRequestHandler):
    def _send(self, code, body="", headers=None):
        data = body.encode()
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path == "/latest/api/token":
            ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "21600")
            self._send(200, TOKEN, {"X-aws-ec2-metadata-token-ttl-seconds": ttl})
        else:
            self._send(404)

    def do_GET(self):
        if self.path == "/":
            self._send(200, "stand-in metadata service\n")
        elif self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
            self._send(401)
        elif self.path in ITEMS:
            self._send(200, ITEMS[self.path])
        else:
            self._send(404)

    def log_message(self, *args):
        pass


class Server6(ThreadingHTTPServer):
    address_family = socket.AF_INET6


servers = []
for address in sys.argv[1:]:
    server = (Server6 if ":" in address else ThreadingHTTPServer)((address, 80), Handler)
    servers.append(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
