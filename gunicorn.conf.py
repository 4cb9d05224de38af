"""gunicorn settings, read from the working directory by `gunicorn portal.wsgi`.

Every value comes from the environment with a default that suits a small server:
  GUNICORN_BIND (or PORT)     where to listen            0.0.0.0:8000 / 0.0.0.0:$PORT
  WEB_CONCURRENCY             worker processes          2 x CPUs + 1, at most 8
  GUNICORN_THREADS            threads per worker        1
  GUNICORN_TIMEOUT            seconds per request       30 (PDF exports stay well under it)
  GUNICORN_MAX_REQUESTS       recycle a worker after    100000 requests (+ up to 10% jitter;
                                                        0: never)
  GUNICORN_PRELOAD            load the application in the master, fork workers from it   1
                                                        (0: each worker loads it)
  FORWARDED_ALLOW_IPS         proxies trusted for X-Forwarded-*   127.0.0.1
  GUNICORN_GC_THRESHOLD       young-generation GC threshold of a worker   700 (Python's; ADR 0124)
"""

import multiprocessing
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(multiprocessing.cpu_count() * 2 + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A recycled worker that loads Django and the portal itself takes 0.65 s of CPU before it serves
# while the requests it would take wait: at 1,000 requests both workers of a busy server restarted
# every few seconds and that alone put a bare view's p99 near a second (ADR 0099), and at 100,000
# a worker of a saturated server (3,000 requests/s on two) still restarted every minute or so,
# each time putting a page's p99 over 60 ms (ADR 0126). The master loads the application once and
# forks each worker from it, so a recycled worker serves within milliseconds. Recycling stays as
# a guard against slow leaks, with jitter so workers never restart together. A deploy restarts
# the service (a HUP would keep the master's loaded code).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max(max_requests // 10, 1) if max_requests else 0
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
# The path without its query string (%(U)s, not the request line %(r)s), no Referer (%(f)s, a
# page address with its query) and no basic-auth user name (%(u)s): searches carry names,
# identity numbers and mobiles in the query string, and access logs are kept and shipped.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "qingdao-portal"
# gunicorn >= 24 opens a runtime control socket in $HOME; the portal does not use it, and several
# instances on one machine would share the path. GUNICORN_CONTROL_SOCKET=path turns it back on.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]


def when_ready(server):
    """In the master, once the application is loaded and before the first worker is forked:
    load what Django would load on each worker's first requests (URLs and views, the Redis
    client, catalogues, compiled templates; ``portal.warm``, ADR 0126)."""
    if preload_app:
        from portal.warm import warm

        warm()


def pre_fork(server, worker):
    """In the master, before each worker is forked from the loaded application: freeze it, so
    that a worker's collections never write to the pages it shares with the master and the
    other workers (Python's advice for fork without exec)."""
    import gc

    gc.freeze()


def post_worker_init(worker):
    """The application is loaded: freeze what is there (modules, settings, URL patterns are never
    garbage) and keep Python's young-generation threshold, so that the per-request cyclic garbage
    is freed in sub-millisecond pauses rather than in one pause of tens of ms every few hundred
    requests (ADR 0124; PDFs and licence batches raise it for their own duration,
    ``portal.collector.fewer_collections``). GUNICORN_GC_THRESHOLD overrides it."""
    import gc

    from portal import collector

    gc.freeze()
    threshold = int(os.environ.get("GUNICORN_GC_THRESHOLD", collector.WORKER_THRESHOLD))
    gc.set_threshold(threshold, 10, 10)


def post_request(worker, req, environ, resp):
    """After the worker's first few hundred and thousand requests, freeze the caches they filled
    (``portal.collector.settle``): full collections then walk only what was made since."""
    from portal import collector

    collector.settle(worker.nr)
