"""eventwatch on Apache Spark (``pip install 'eventwatch[spark]'``): ``spark/job.py`` runs the
local pipeline's stage functions over files in any Hadoop-compatible store and writes Parquet;
``spark/merge.py`` merges mentions into events by blocks; ``spark/importer.py`` loads an output
into the local store."""
