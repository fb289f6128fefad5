import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import type { DataSourceTestResult } from "@/lib/telemetry/types";

/** What a connection test found: version, database, measurements and what the mapping sees. */
export function DataSourceTestPanel({ result }: { result: DataSourceTestResult }) {
  const { ping, preview } = result;
  return (
    <section className="card" aria-label="Connection test result" data-testid="data-source-test">
      {result.isOk ? (
        <Notice tone="ok" title="Connected" role="status" />
      ) : (
        <Notice
          tone="danger"
          title={`Telemetry unavailable (${result.problem?.reason ?? "unknown"})`}
          role="alert"
        >
          <p>{result.problem?.message}</p>
        </Notice>
      )}
      <dl className="facts">
        <dt>Server</dt>
        <dd>
          {ping.isOk
            ? `InfluxDB ${ping.version ?? "(version not reported)"} in ${ping.latencyMs} ms`
            : ping.message}
        </dd>
        <dt>Database</dt>
        <dd>
          {result.databaseExists === null ? "not checked" : result.databaseExists ? "exists" : "not found"}
        </dd>
        {result.measurements.length > 0 ? (
          <>
            <dt>Measurements</dt>
            <dd className="mono">{result.measurements.slice(0, 30).join(", ")}</dd>
          </>
        ) : null}
      </dl>
      {preview ? (
        <>
          <h3>What the mapping finds in the last hour</h3>
          <dl className="facts">
            <dt>Temperature ({preview.temperature.measurement})</dt>
            <dd>
              {preview.temperature.hosts} hosts, {preview.temperature.sites} sites,{" "}
              {preview.temperature.clusters} clusters; latest{" "}
              <RelativeTime iso={preview.temperature.latestAt} never="none" />
            </dd>
            {preview.connectivity ? (
              <>
                <dt>Connectivity ({preview.connectivity.measurement})</dt>
                <dd>
                  {preview.connectivity.hosts} hosts; latest{" "}
                  <RelativeTime iso={preview.connectivity.latestAt} never="none" />
                </dd>
              </>
            ) : null}
            {preview.turbine ? (
              <>
                <dt>Turbines ({preview.turbine.measurement})</dt>
                <dd>
                  {preview.turbine.hosts} hosts; latest{" "}
                  <RelativeTime iso={preview.turbine.latestAt} never="none" />
                </dd>
              </>
            ) : null}
            <dt>Registered sites matched</dt>
            <dd>{preview.matchedSites}</dd>
            <dt>Sample tag values</dt>
            <dd className="mono">
              sites: {preview.samples.sites.join(", ") || "–"}; clusters:{" "}
              {preview.samples.clusters.join(", ") || "–"}; hosts: {preview.samples.hosts.join(", ") || "–"}
            </dd>
          </dl>
          {preview.warnings.length > 0 ? (
            <Notice tone="warn" title="Check the mapping">
              <ul>
                {preview.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </Notice>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
