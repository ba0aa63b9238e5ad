"""Register (DIP) and FAQ tables. Owned by the knowledge feature (revision 0002)."""
