"""CircuIT Depot: the desktop application of a province's central ICT warehouse."""

__version__ = "0.1.0"
