"""`python -m web`: the same as `creditdesk-web`."""
import sys

from web.cli import main

sys.exit(main())
