import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wnwa.settings")
application = get_wsgi_application()

# What loading made (Django, every app, the URL patterns: about 160,000 objects) lives as long as
# the process: leave it out of the garbage collector's full passes, which otherwise walk it all,
# about 90 ms with every thread stopped, once in a few hundred requests (bench/directory.py's
# p99). Later garbage is collected as before.
gc.freeze()
