"""Modelos SQLAlchemy del dominio DE-PD-01."""
from .agregados import AlertaCoherencia, CifraAgregada, CifraIntegrada, CifraItems, CifraPendiente, CifraSinAvance, CifraVigencia
from .ajustes import ESTADOS_ABIERTOS as ESTADOS_AJUSTE_ABIERTOS
from .ajustes import EstadoAjuste, SolicitudAjuste
from .avisos import CorreoPendiente, Recordatorio
from .base import Base, EnumEtiquetado, ahora, confirmar_sin_expirar, db, en_momento
from .catalogos import (
                        ColorSemaforo,
                        Cuatrienio,
                        Dependencia,
                        EtapaCronograma,
                        FaseCronograma,
                        Instancia,
                        PlanInstitucional,
                        PndLinea,
                        PndObjetivo,
                        PndPacto,
                        PoliticaMipg,
                        PresupuestoProyecto,
                        ProyectoInversion,
                        TipoDependencia,
                        TipoInstancia,
                        UmbralSemaforo,
                        UnidadMedida,
                        Vigencia,
)
from .chequeo import ChequeoPlan
from .control_interno import PERIODOS as PERIODOS_VERIFICACION
from .control_interno import EvaluacionDependencia, VerificacionControlInterno
from .historial import HistorialEstado, RegistroAuditoria
from .importacion import MapeoColumnas
from .planes import (
                        Acta,
                        Actividad,
                        Compromiso,
                        EstadoPlan,
                        Indicador,
                        MetaIndicador,
                        MetaTerritorial,
                        Objetivo,
                        Periodicidad,
                        Plan,
                        Tendencia,
                        TipoAcumulacion,
                        TipoCompromiso,
                        TipoPlan,
                        VerificacionPlan,
)
from .publicacion import PlanCompras
from .seguimiento import (
                        AccionDerivada,
                        Avance,
                        DiagnosticoTrimestral,
                        EstadoAccion,
                        EstadoReporte,
                        EstadoVentana,
                        InformeSeguimiento,
                        PresentacionComite,
                        ReaperturaVentana,
                        ReporteTrimestral,
                        VentanaReporte,
)
from .trabajos import ESTADOS_ACTIVOS as ESTADOS_TRABAJO_ACTIVOS
from .trabajos import EstadoTrabajo, Trabajo
from .usuarios import ClaveAnterior, Rol, Usuario

__all__ = [n for n in dir() if not n.startswith("_")]
