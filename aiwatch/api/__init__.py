"""The read API at /api/v1/ (django-ninja): endpoints.py, and schemas.py for what it answers.

A layer beside aiwatch.site: it may import search, the apps and the base, and nothing
imports it but the URLs.
"""
