"""Text shared by reading and rendering: the Markdown dialect, writing systems, images."""
