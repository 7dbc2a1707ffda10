"""Serving the gateway from a thread of this process, for tests and benchmarks.

A free port on 127.0.0.1, waitress with the production flood settings, and a
stop that does not wait: idle keep-alive connections are closed with the
listener, so the block ends as soon as the requests in flight are answered.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bipro.serving import flood_settings, quiet_queue_warnings


@contextmanager
def serve_in_thread(app, *, threads: int = 4, max_request_body_size: int = 1 << 30,
                    ident: str = "bipro-gateway", connection_limit: int = 1000,
                    idle_timeout: int = 10) -> Iterator[str]:
    """Serve *app* with waitress from a thread of this process; yield ``http://127.0.0.1:PORT``.

    For embedding the gateway (tests, benchmarks): a free port is chosen, and
    the server is closed when the block ends.
    """

    import waitress.server

    quiet_queue_warnings()
    server = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=threads,
                                           max_request_body_size=max_request_body_size, ident=ident,
                                           **flood_settings(connection_limit, idle_timeout))

    def run() -> None:
        # close() from the caller's thread races the loop's select(); the loop
        # then sees a closed descriptor, which only means "stopped".
        try:
            server.run()
        except (OSError, ValueError):
            pass

    url = f"http://127.0.0.1:{server.effective_port}"
    if hasattr(app, "serving_at"):
        app.serving_at(url)  # WSDL addresses and portal links point here
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        stop_at_once(server, thread)


def stop_at_once(server, thread, timeout: float = 5.0) -> None:
    """Close the listener and every connection, idle keep-alive ones too, and join the threads.

    waitress's loop runs while any connection is open, so closing only the
    listener left an idle keep-alive connection to hold it (and the caller's
    join) until its channel timeout. The closing runs in the loop's own thread,
    through waitress's trigger, so it never races the loop's poll.
    """
    from waitress import wasyncore
    from waitress.channel import HTTPChannel

    socket_map = server._map

    def close_everything() -> None:
        for dispatcher in list(socket_map.values()):
            if isinstance(dispatcher, HTTPChannel):
                dispatcher.handle_close()  # also wakes a worker waiting to write
        wasyncore.close_all(socket_map, ignore_all=True)  # the listener and the trigger too

    try:
        server.trigger.pull_trigger(close_everything)
    except OSError:  # the loop has already stopped and closed its trigger
        pass
    thread.join(timeout)
    if thread.is_alive():  # the loop is stuck: close from here as before
        server.close()
        thread.join(timeout)
    server.task_dispatcher.shutdown(timeout=timeout)
