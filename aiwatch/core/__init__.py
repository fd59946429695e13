"""The base: what every app uses, and nothing that knows an app.

- publishing: the draft → review → published → withdrawn workflow, the version counter
- slugs: unique slugs, and the old ones that keep shared links working (OldSlug)
- markup: markdown rendered and then sanitized with nh3
- history: django-reversion registration, and `recorded()` for writes outside a request
- registry: the content kinds each app declares, read by search and the reader pages
- dates: a date as precisely as it is known
- admin: the content admin bases (history compare, roles, the optimistic edit check)
- views: PublishedMixin, which owns a public view's queryset (preview, 410, 301, JSON twin)
- middleware: a lost database answers 503, not a traceback
- login_throttling: sign-in lockouts (django-axes): the client's address, the lockout page
- desk: the editor's desk on the admin's home; the apps hand it their lines

May import: Django and libraries only. Its app label stays "aiwatch", so its
tables, migrations and permissions kept their names when it became a package.
"""
