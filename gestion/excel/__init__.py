"""Libros de Excel que escribe la aplicación: solo dibujan lo que reciben, no consultan ni deciden."""
