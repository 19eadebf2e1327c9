"""gunicorn settings read from the working directory (`gunicorn ruta.wsgi`).

The access log says when, which path, the status, the size and the time taken: never the
query string (the finder's search words say what a person is going through), the client
address, the referrer or the user agent. Security events with addresses go to Ruta's own
audit trail, which stores them under its own rules.
"""

access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
