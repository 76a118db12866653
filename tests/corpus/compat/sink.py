"""sink.py LOG -- an SMTP server on 127.0.0.1:2600 writing every command ("C ...") and
message line ("D ...") it gets to LOG; prints "ready" once it listens."""
import socketserver, sys

LOG = sys.argv[1]


class Session(socketserver.StreamRequestHandler):
    def handle(self):
        def say(text):
            self.wfile.write(text.encode() + b"\r\n")
        say("220 sink ESMTP")
        data = False
        with open(LOG, "a") as log:
            for raw in self.rfile:
                line = raw.decode("latin-1").rstrip("\r\n")
                if data:
                    if line == ".":
                        data = False
                        say("250 ok")
                    else:
                        log.write("D " + line + "\n")
                    continue
                log.write("C " + line + "\n")
                verb = line[:4].upper()
                if verb == "EHLO":
                    say("250-sink\r\n250 PIPELINING")
                elif verb == "DATA":
                    data = True
                    say("354 go on")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("250 ok")


socketserver.ThreadingTCPServer.allow_reuse_address = True
server = socketserver.ThreadingTCPServer(("127.0.0.1", 2600), Session)
print("ready", flush=True)
server.serve_forever()
