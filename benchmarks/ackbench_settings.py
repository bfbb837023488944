"""Settings for ``benchmarks.ack_load`` only: the platform's settings plus two comparison views.

``bench/hello`` (no database) and ``bench/insert`` (one committed INSERT) exist only under
these settings (``benchmarks/ackbench_urls.py``), never in the product's URLs.
"""

from noturiba.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.ackbench_urls"
