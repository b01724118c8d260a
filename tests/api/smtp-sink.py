#!/usr/bin/python3
# smtp-sink.py PORT DIR — a real SMTP server (Debian's python3-aiosmtpd) on 127.0.0.1:PORT for
# the e-mail tests: each message it accepts is written whole to DIR/NNNN.eml (renamed into
# place, so a reader never sees half a file), after two lines naming the envelope
# (X-Envelope-From, X-Envelope-To). While a file DIR/refuse exists it answers every message
# with "451 try again later", so a test can watch the server retry. Prints "ready" once it
# listens; stops on SIGTERM.
import asyncio
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.folder, 'refuse')):
            return '451 4.3.0 try again later'
        self.count += 1
        name = os.path.join(self.folder, '%04d.eml' % self.count)
        with open(name + '.tmp', 'wb') as f:
            f.write(('X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n'
                     % (envelope.mail_from, ','.join(envelope.rcpt_tos))).encode())
            f.write(envelope.original_content)
        os.rename(name + '.tmp', name)
        return '250 2.0.0 OK'


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(folder), hostname='127.0.0.1', port=port)
    controller.start()
    print('ready', flush=True)
    stop = asyncio.new_event_loop()
    signal.signal(signal.SIGTERM, lambda *_: stop.call_soon_threadsafe(stop.stop))
    stop.run_forever()
    controller.stop()


main()
