"""Importaciones desde Excel: leen un libro subido, validan todo y guardan todo o nada.

Los libros (plantillas incluidas) los dibuja `gestion.excel`; lo que esos libros muestran lo leen
`gestion.planes.consultas`. Este paquete arma la plantilla de cada importación y lee lo que vuelve.
"""
