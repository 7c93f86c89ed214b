"""Reports over the engine's tables: performance figures (Evaluasi Kinerja), drill-downs, exports."""
