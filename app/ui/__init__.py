"""The Qt user interface: the main window, one page per workflow, dialogs and widgets.

Only this package imports Qt. It calls the service layer (`app.services`) for
every action and shows a `DomainError`'s translated message instead of a traceback.
"""
