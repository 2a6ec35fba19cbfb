#!/usr/bin/python3
"""systemd_activation: hubplannerd started the way systemd starts it.

systemd-socket-activate hands the daemon a listening socket (LISTEN_FDS) and NOTIFY_SOCKET
points at a datagram socket this script reads. Checks: READY=1 arrives; a status query
through the activated socket is answered; SIGHUP gives RELOADING=1 then READY=1 and the
daemon still answers; SIGTERM gives STOPPING=1 and exit status 0. The daemon runs on a
temporary configuration and an empty database (it serves status without a plan).

Usage: test_activation.py HUBPLANNERD [SYSTEMD_SOCKET_ACTIVATE]
Exit status: 0 pass, 1 fail, 77 skipped (no systemd-socket-activate).
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

STEP_S = 5.0  # deadline of each step


class Failure(Exception):
    pass


class Notify:
    """The NOTIFY_SOCKET end: collects sd_notify messages as KEY=VALUE lines."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.seen = []

    def expect(self, line, before=None):
        """Waits for line; fails if the line `before` must not precede it and does."""
        deadline = time.monotonic() + STEP_S
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"no {line} within {STEP_S:.0f} s (got {self.seen})")
            self.sock.settimeout(left)
            try:
                msg = self.sock.recv(4096).decode()
            except socket.timeout:
                continue
            for got in msg.split("\n"):
                self.seen.append(got)
                if got == before:
                    raise Failure(f"{before} came before {line} (got {self.seen})")
                if got == line:
                    return

    def close(self):
        self.sock.close()


def query_status(path, req_id):
    """Sends a status request over a new connection; returns its result object."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(STEP_S)
        s.connect(path)
        req = {"jsonrpc": "2.0", "id": req_id, "method": "status"}
        s.sendall((json.dumps(req) + "\n").encode())
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                raise Failure(f"connection closed before a reply (got {buf!r})")
            buf += chunk
    reply = json.loads(buf)
    if reply.get("id") != req_id or "result" not in reply:
        raise Failure(f"status: unexpected reply {reply}")
    return reply["result"]


def wait_for_path(path, proc):
    deadline = time.monotonic() + STEP_S
    while not os.path.exists(path):
        if proc.poll() is not None:
            raise Failure(f"exited with status {proc.returncode} before listening")
        if time.monotonic() > deadline:
            raise Failure(f"{path} did not appear within {STEP_S:.0f} s")
        time.sleep(0.02)


def scenario(daemon, activate, tmp, log):
    conf = os.path.join(tmp, "hubplanner.conf")
    listen = os.path.join(tmp, "activated.sock")
    own = os.path.join(tmp, "own.sock")  # [daemon] socket: must stay unused
    with open(conf, "w") as f:
        f.write(f"[store]\ndatabase = {tmp}/hubplanner.db\n[daemon]\nsocket = {own}\n")
    notify = Notify(os.path.join(tmp, "notify"))
    proc = subprocess.Popen(
        [activate, "-l", listen, "--fdname=hubplannerd.socket",
         "-E", "NOTIFY_SOCKET=" + notify.path, daemon, "-c", conf],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        wait_for_path(listen, proc)
        print("socket-activate listening; querying through", listen)
        result = query_status(listen, 1)  # the first connection starts the daemon
        notify.expect("READY=1")
        print(f"READY=1; status answered: version {result.get('version')}")
        if os.path.exists(own):
            raise Failure(f"the daemon bound {own} instead of using the activated socket")

        proc.send_signal(signal.SIGHUP)
        notify.expect("RELOADING=1", before="READY=1")
        notify.expect("READY=1")
        query_status(listen, 2)
        print("SIGHUP: RELOADING=1 then READY=1; status still answered")

        proc.send_signal(signal.SIGTERM)
        notify.expect("STOPPING=1")
        try:
            rc = proc.wait(timeout=STEP_S)
        except subprocess.TimeoutExpired:
            raise Failure(f"still running {STEP_S:.0f} s after SIGTERM")
        if rc != 0:
            raise Failure(f"exit status {rc} after SIGTERM")
        print("SIGTERM: STOPPING=1, exit status 0")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        notify.close()


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 1
    daemon = sys.argv[1]
    activate = sys.argv[2] if len(sys.argv) > 2 else shutil.which("systemd-socket-activate")
    if not activate or not os.access(activate, os.X_OK):
        print("systemd-socket-activate not found; skipped")
        return 77
    # sun_path holds 107 bytes: keep the temporary folder short.
    with tempfile.TemporaryDirectory(prefix="hub-act.", dir="/tmp") as tmp:
        log_path = os.path.join(tmp, "daemon.log")
        try:
            with open(log_path, "w") as log:
                scenario(daemon, activate, tmp, log)
        except (Failure, OSError, ValueError) as e:
            print(f"FAIL: {e}")
            with open(log_path) as log:
                print("daemon log:\n" + log.read(), end="")
            return 1
    print("systemd activation: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
