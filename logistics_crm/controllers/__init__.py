from . import main
from . import call_center
