// POST /api/ingest/grafana: the same endpoint as /api/ingest/alertmanager, named for Grafana's
// webhook contact point. Who sent a delivery is read from its version ("1" Grafana, "4" Alertmanager).
export { action, loader } from "./api.ingest.alertmanager";
