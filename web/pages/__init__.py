"""The console's pages: thin handlers over the services, one module per page."""
