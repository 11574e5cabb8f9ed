"""The process that `manage.py runsite` becomes once everything is prepared: it starts
the web server and the task worker, restarts one that exits, and stops them together on
Ctrl-C or SIGTERM. Standard library only: it holds a few megabytes, not a loaded Django
(runsite execs into it; see runsite.py).

    python -m caravan.operations.supervise '{"web": [...], "worker": [...]}'"""

import json
import signal
import subprocess
import sys
import time


class Supervisor:
    def __init__(self, commands):
        self.commands = commands
        self.stopping = False
        self.children = {}

    def start(self, name):
        # A session of its own: the terminal's Ctrl-C reaches only this supervisor, which
        # then stops the children in order.
        return subprocess.Popen(self.commands[name], start_new_session=True)  # noqa: S603

    def stop(self, signum, frame):
        self.stopping = True

    def run(self):
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        self.children = {name: self.start(name) for name in self.commands}
        crashes = []
        while not self.stopping:
            time.sleep(0.3)
            for name, proc in list(self.children.items()):
                if self.stopping or proc.poll() is None:
                    continue
                crashes = [t for t in crashes if time.monotonic() - t < 60] + [time.monotonic()]
                if len(crashes) > 5:
                    self.shutdown()
                    print(
                        f"{name} keeps exiting (code {proc.returncode}); stopped.", file=sys.stderr
                    )
                    return 1
                print(f"{name} exited with code {proc.returncode}; restarting it.", file=sys.stderr)
                self.children[name] = self.start(name)
        self.shutdown()
        print("Stopped.", flush=True)
        return 0

    def shutdown(self, grace=20):
        for proc in self.children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in self.children.values():
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    sys.exit(Supervisor(json.loads(sys.argv[1])).run())
