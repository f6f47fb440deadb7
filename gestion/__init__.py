"""Aplicación de formulación y seguimiento a planes de gestión (DE-PD-01); la app la arma `gestion.fabrica.crear_app`."""
