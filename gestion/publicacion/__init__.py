"""La publicación (actividad 15 y el marco legal, DOMINIO §8): la página pública del PAI, los contenidos del art. 74
de la Ley 1474 de 2011 con el informe de gestión, y los datos abiertos. Lee planes y seguimiento; nadie la importa
salvo las vistas públicas."""
