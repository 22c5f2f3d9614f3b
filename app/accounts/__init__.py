"""Users, roles, units, login and the permission rules every view goes through."""
