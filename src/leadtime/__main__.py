import sys

from leadtime.cli import main

sys.exit(main())
