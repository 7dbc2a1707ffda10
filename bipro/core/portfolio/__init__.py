"""A broker's customers and contracts: reading, editing, the dashboard, the GDV import."""
