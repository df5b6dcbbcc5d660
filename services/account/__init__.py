"""Patient self-service: /status, /pause, /resume, /stop, /mydata and /delete."""
