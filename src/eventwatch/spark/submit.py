"""Entry point for ``spark-submit``: the arguments of ``eventwatch spark run``.

    SUBMIT=$(python -c 'import eventwatch.spark.submit as m; print(m.__file__)')
    spark-submit --master yarn "$SUBMIT" \\
        --input 's3a://bucket/crawl/*.warc.gz' --output s3a://bucket/eventwatch/2024-11
"""

from __future__ import annotations

import sys

from eventwatch.cli import main

if __name__ == "__main__":
    sys.exit(main(["spark", "run", *sys.argv[1:]]))
