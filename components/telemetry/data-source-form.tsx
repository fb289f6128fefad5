"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { FieldError, hasError } from "@/components/ui/field-errors";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { Notice } from "@/components/ui/notice";
import { errorMessage, isApiError } from "@/lib/queries/api";
import {
  createDataSource,
  type DataSourceTestResult,
  type DataSourceView,
  dataSourceKeys,
  testDataSourceConfig,
  updateDataSource,
} from "@/lib/queries/data-sources";
import {
  AUTH_KINDS,
  type AuthKind,
  type DataSourceInput,
  DEFAULT_MAPPING,
  DEFAULT_TURBINE_FIELDS,
  dataSourceInputSchema,
  type JoinMode,
} from "@/lib/telemetry/schemas";
import { DataSourceTestPanel } from "./data-source-test-panel";

interface Values {
  name: string;
  url: string;
  database: string;
  retentionPolicy: string;
  authKind: AuthKind;
  username: string;
  secret: string;
  timeoutSeconds: string;
  isDefault: boolean;
  join: JoinMode;
  siteTag: string;
  siteValue: "slug" | "name";
  clusterTag: string;
  hostTag: string;
  sampleSeconds: string;
  tempMeasurement: string;
  tempField: string;
  sensorTag: string;
  hasConnectivity: boolean;
  pingMeasurement: string;
  rttField: string;
  lossField: string;
  resultField: string;
  hasTurbine: boolean;
  turbineMeasurement: string;
  turbineFields: string;
}

function initialValues(ds: DataSourceView | null): Values {
  const m = ds?.mapping ?? DEFAULT_MAPPING;
  return {
    name: ds?.name ?? "",
    url: ds?.url ?? "",
    database: ds?.database ?? "telegraf",
    retentionPolicy: ds?.retentionPolicy ?? "",
    authKind: ds?.authKind ?? "none",
    username: ds?.username ?? "",
    secret: "",
    timeoutSeconds: String((ds?.timeoutMs ?? 10_000) / 1000),
    isDefault: ds?.isDefault ?? false,
    join: m.join,
    siteTag: m.siteTag,
    siteValue: m.siteValue,
    clusterTag: m.clusterTag ?? "",
    hostTag: m.hostTag,
    sampleSeconds: String(m.sampleSeconds),
    tempMeasurement: m.temperature.measurement,
    tempField: m.temperature.field,
    sensorTag: m.temperature.sensorTag ?? "",
    hasConnectivity: m.connectivity !== null,
    pingMeasurement: m.connectivity?.measurement ?? "ping",
    rttField: m.connectivity?.rttField ?? "average_response_ms",
    lossField: m.connectivity?.lossField ?? "percent_packet_loss",
    resultField: m.connectivity?.resultField ?? "",
    hasTurbine: m.turbine !== null,
    turbineMeasurement: m.turbine?.measurement ?? "turbine",
    turbineFields: (m.turbine?.fields ?? [...DEFAULT_TURBINE_FIELDS]).join(", "),
  };
}

function toInput(v: Values): DataSourceInput {
  return {
    name: v.name,
    url: v.url,
    database: v.database,
    retentionPolicy: v.retentionPolicy || null,
    authKind: v.authKind,
    username: v.authKind === "basic" ? v.username : null,
    ...(v.secret ? { secret: v.secret } : {}),
    timeoutMs: Math.round(Number(v.timeoutSeconds) * 1000),
    isDefault: v.isDefault,
    mapping: {
      join: v.join,
      siteTag: v.siteTag,
      siteValue: v.siteValue,
      clusterTag: v.clusterTag.trim() || null,
      hostTag: v.hostTag,
      sampleSeconds: Number(v.sampleSeconds),
      temperature: {
        measurement: v.tempMeasurement,
        field: v.tempField,
        sensorTag: v.sensorTag.trim() || null,
      },
      connectivity: v.hasConnectivity
        ? {
            measurement: v.pingMeasurement,
            rttField: v.rttField,
            lossField: v.lossField,
            resultField: v.resultField.trim() || null,
          }
        : null,
      turbine: v.hasTurbine
        ? {
            measurement: v.turbineMeasurement,
            fields: v.turbineFields
              .split(",")
              .map((f) => f.trim())
              .filter(Boolean),
          }
        : null,
    },
  };
}

/** Maps schema paths onto the form's field names, so errors land next to the input that caused them. */
const PATH_ALIASES: Record<string, string> = {
  timeoutMs: "timeoutSeconds",
  "mapping.join": "join",
  "mapping.siteTag": "siteTag",
  "mapping.siteValue": "siteValue",
  "mapping.clusterTag": "clusterTag",
  "mapping.hostTag": "hostTag",
  "mapping.sampleSeconds": "sampleSeconds",
  "mapping.temperature.measurement": "tempMeasurement",
  "mapping.temperature.field": "tempField",
  "mapping.temperature.sensorTag": "sensorTag",
  "mapping.connectivity.measurement": "pingMeasurement",
  "mapping.connectivity.rttField": "rttField",
  "mapping.connectivity.lossField": "lossField",
  "mapping.connectivity.resultField": "resultField",
  "mapping.turbine.measurement": "turbineMeasurement",
};

function aliasErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(errors)) {
    const key = PATH_ALIASES[path] ?? (path.startsWith("mapping.turbine.fields") ? "turbineFields" : path);
    out[key] = [...(out[key] ?? []), ...messages];
  }
  return out;
}

/** Create or edit a data source, with "Test" that tries the unsaved values and previews the mapping. */
export function DataSourceForm({ dataSource }: { dataSource: DataSourceView | null }) {
  const uid = useId();
  const id = (n: string) => `${uid}-${n}`;
  const router = useRouter();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => initialValues(dataSource));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const [testResult, setTestResult] = useState<DataSourceTestResult | null>(null);
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const validate = (): DataSourceInput | null => {
    const input = toInput(values);
    const parsed = dataSourceInputSchema.safeParse(input);
    if (!parsed.success) {
      setLocalErrors(aliasErrors(issuesToErrors(parsed.error.issues)));
      return null;
    }
    setLocalErrors({});
    return input;
  };

  const save = useMutation({
    mutationFn: (input: DataSourceInput) =>
      dataSource ? updateDataSource(dataSource.id, input) : createDataSource(input),
    gcTime: 0,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: dataSourceKeys.all });
      router.push("/settings/data-sources");
      router.refresh();
    },
  });
  const test = useMutation({
    mutationFn: (input: DataSourceInput) => testDataSourceConfig(input, dataSource?.id),
    gcTime: 0,
    onMutate: () => setTestResult(null),
    onSuccess: (result) => setTestResult(result),
  });

  const serverErrors =
    save.isError && isApiError(save.error) ? aliasErrors(issuesToErrors(save.error.issues)) : {};
  const testErrors =
    test.isError && isApiError(test.error) ? aliasErrors(issuesToErrors(test.error.issues)) : {};
  const errors = { ...testErrors, ...serverErrors, ...localErrors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = validate();
    if (input) save.mutate(input);
  };

  const text = (
    name: keyof Values,
    label: string,
    o: { hint?: string; type?: string; placeholder?: string; autoComplete?: string } = {},
  ) => (
    <div className="field">
      <label htmlFor={id(name)}>{label}</label>
      <input
        id={id(name)}
        type={o.type ?? "text"}
        value={String(values[name])}
        onChange={(e) => set(name, e.target.value as never)}
        placeholder={o.placeholder}
        autoComplete={o.autoComplete ?? "off"}
        aria-invalid={hasError(errors, name)}
        aria-describedby={
          [o.hint ? id(`${name}-hint`) : "", hasError(errors, name) ? id(`${name}-error`) : ""]
            .filter(Boolean)
            .join(" ") || undefined
        }
      />
      {o.hint ? (
        <p className="hint" id={id(`${name}-hint`)}>
          {o.hint}
        </p>
      ) : null}
      <FieldError id={id(`${name}-error`)} errors={errors} path={name} />
    </div>
  );

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={dataSource ? `Edit ${dataSource.name}` : "Add data source"}
      className="stack"
    >
      {save.isError && !(isApiError(save.error) && save.error.issues.length > 0) ? (
        <Notice tone="danger" title="Could not save the data source" role="alert">
          <p>{errorMessage(save.error)}</p>
        </Notice>
      ) : null}
      <fieldset className="card">
        <legend>Connection</legend>
        <div className="field-row">
          {text("name", "Name", { placeholder: "Fleet InfluxDB" })}
          {text("url", "URL", {
            placeholder: "http://influx.example:8086",
            hint: "InfluxDB 1.x, or 2.x/3.x through the v1 /query API",
          })}
        </div>
        <div className="field-row">
          {text("database", "Database", {
            hint: "On 2.x: a database name with a DBRP mapping to the bucket",
          })}
          {text("retentionPolicy", "Retention policy", { hint: "Empty: the database's default" })}
          {text("timeoutSeconds", "Timeout (s)", { type: "number" })}
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor={id("authKind")}>Authentication</label>
            <select
              id={id("authKind")}
              value={values.authKind}
              onChange={(e) => set("authKind", e.target.value as AuthKind)}
            >
              {AUTH_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k === "none" ? "None" : k === "basic" ? "Username and password" : "Token"}
                </option>
              ))}
            </select>
          </div>
          {values.authKind === "basic" ? text("username", "Username", { autoComplete: "username" }) : null}
          {values.authKind !== "none"
            ? text("secret", values.authKind === "basic" ? "Password" : "Token", {
                type: "password",
                autoComplete: "new-password",
                hint: dataSource?.hasSecret ? "Stored; leave empty to keep it" : undefined,
              })
            : null}
        </div>
        <div className="field">
          <label className="choice">
            <input
              type="checkbox"
              checked={values.isDefault}
              disabled={dataSource?.isDefault === true}
              onChange={(e) => set("isDefault", e.target.checked)}
            />{" "}
            Default data source (sites without their own read from it)
          </label>
        </div>
      </fieldset>

      <fieldset className="card">
        <legend>Schema mapping</legend>
        <p className="hint">
          Defaults match Telegraf's temp and ping inputs with site and cluster global tags.
        </p>
        <div className="field-row">
          <div className="field">
            <label htmlFor={id("join")}>Points find their site by</label>
            <select
              id={id("join")}
              value={values.join}
              onChange={(e) => set("join", e.target.value as JoinMode)}
            >
              <option value="tags">Site and cluster tags</option>
              <option value="host">Host name = Kubernetes node name</option>
            </select>
          </div>
          {values.join === "tags" ? (
            <>
              {text("siteTag", "Site tag")}
              <div className="field">
                <label htmlFor={id("siteValue")}>Site tag carries the site's</label>
                <select
                  id={id("siteValue")}
                  value={values.siteValue}
                  onChange={(e) => set("siteValue", e.target.value as "slug" | "name")}
                >
                  <option value="slug">Slug</option>
                  <option value="name">Name</option>
                </select>
              </div>
              {text("clusterTag", "Cluster tag", { hint: "Empty: none" })}
            </>
          ) : null}
          {text("hostTag", "Host tag")}
          {text("sampleSeconds", "Sample period (s)", { type: "number" })}
        </div>
        <div className="field-row">
          {text("tempMeasurement", "Temperature measurement")}
          {text("tempField", "Temperature field")}
          {text("sensorTag", "Sensor tag", { hint: "Empty: none" })}
        </div>
        <label className="choice">
          <input
            type="checkbox"
            checked={values.hasConnectivity}
            onChange={(e) => set("hasConnectivity", e.target.checked)}
          />{" "}
          Connectivity (ping)
        </label>
        {values.hasConnectivity ? (
          <div className="field-row">
            {text("pingMeasurement", "Measurement")}
            {text("rttField", "Round-trip field")}
            {text("lossField", "Loss field")}
            {text("resultField", "Result code field", { hint: "Empty: none" })}
          </div>
        ) : null}
        <label className="choice">
          <input
            type="checkbox"
            checked={values.hasTurbine}
            onChange={(e) => set("hasTurbine", e.target.checked)}
          />{" "}
          Turbine metrics
        </label>
        {values.hasTurbine ? (
          <div className="field-row">
            {text("turbineMeasurement", "Measurement")}
            {text("turbineFields", "Fields", { hint: "Comma-separated" })}
          </div>
        ) : null}
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : dataSource ? "Save changes" : "Add data source"}
        </button>
        <button
          type="button"
          className="button"
          disabled={test.isPending}
          onClick={() => {
            const input = validate();
            if (input) test.mutate(input);
          }}
        >
          {test.isPending ? "Testing…" : "Test connection and preview"}
        </button>
      </div>
      <div aria-live="polite">
        {test.isError && !(isApiError(test.error) && test.error.issues.length > 0) ? (
          <Notice tone="danger" title="Test failed" role="alert">
            <p>{errorMessage(test.error)}</p>
          </Notice>
        ) : null}
        {testResult ? <DataSourceTestPanel result={testResult} /> : null}
      </div>
    </form>
  );
}
