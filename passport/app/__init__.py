"""The worker's wallet app (``passport app``): server-rendered pages on 127.0.0.1 over the same
encrypted wallet file as the CLI, in Dutch or English, with no build step and nothing loaded from
other sites (docs/guides/wallet.md, "The wallet app").

Modules, one job each: ``state`` (what a run remembers), ``guard`` (who may in: the one-time start
secret, the cookie, Host, CSRF, the idle time), ``web`` (``create_app``), ``pages`` (what the views
share: the wallet must be open, redirect with a notice), ``words`` (the ``app``
terms), ``entries`` (a profile entry as a form), one ``view_*`` per screen (unlock, profile,
passport, share, receive, backup; ``view_offer`` receives by OpenID4VCI, ``view_respond`` answers
an OpenID4VP request, ``view_scan`` reads their QR codes from photos and camera frames) and ``server`` (``serve``: port, browser, idle stop). The work
itself is the wallet library's (``passport.wallet``). Needs Flask (the ``wallet-app`` extra).
"""
