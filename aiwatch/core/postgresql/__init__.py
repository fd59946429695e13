"""aiwatch's database backend (settings: ENGINE "aiwatch.core.postgresql"); see base.py."""
