"""The dataset's snapshots: what they hold (tables), how one is written (export),
which exist (store), and their pages at /data/ (views)."""
