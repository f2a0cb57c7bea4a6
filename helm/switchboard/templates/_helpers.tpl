{{/* The chart's name, or nameOverride. */}}
{{- define "switchboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the prefix of every resource name. */}}
{{- define "switchboard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "switchboard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels. Argument: (dict "context" $ "component" "gateway"), plus "pool" for a worker pool, so that the
Deployments of two pools never select each other's pods.
*/}}
{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "switchboard.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- with .pool }}
switchboard.dev/worker-pool: {{ . }}
{{- end }}
{{- end }}

{{/* Labels of every resource. Same argument as switchboard.selectorLabels. */}}
{{- define "switchboard.labels" -}}
helm.sh/chart: {{ include "switchboard.chart" .context }}
{{ include "switchboard.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: switchboard
{{- end }}

{{- define "switchboard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "switchboard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image of one app. Argument: (dict "context" $ "app" "gateway"). */}}
{{- define "switchboard.image" -}}
{{- $tag := .context.Values.image.tag | default .context.Chart.AppVersion }}
{{- if .context.Values.image.perApp }}
{{- printf "%s-%s:%s" .context.Values.image.repository .app $tag }}
{{- else }}
{{- printf "%s:%s" .context.Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
The command of one app (argument: its name). Only the arguments are set, so the image's tini entrypoint stays PID 1,
and any Switchboard image can run any app.
*/}}
{{- define "switchboard.args" -}}
args:
  - node
  - --max-semi-space-size=4
  - dist/apps/{{ . }}/main.js
{{- end }}

{{- define "switchboard.natsUrl" -}}
{{- if .Values.nats.enabled }}
{{- printf "nats://%s-nats:4222" .Release.Name }}
{{- else }}
{{- .Values.nats.url }}
{{- end }}
{{- end }}

{{/* DATABASE_URL: from an existing Secret, or built from the password Secret of the bundled PostgreSQL. */}}
{{- define "switchboard.databaseEnv" -}}
{{- if .Values.postgresql.enabled -}}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.auth.existingSecret | default (printf "%s-postgresql" .Release.Name) }}
      key: password
- name: DATABASE_URL
  value: "postgres://{{ .Values.postgresql.auth.username }}:$(POSTGRES_PASSWORD)@{{ .Release.Name }}-postgresql:5432/{{ .Values.postgresql.auth.database }}"
{{- else -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgres.urlSecret.name }}
      key: {{ .Values.postgres.urlSecret.key }}
{{- end }}
{{- end }}

{{/* REDIS_URL: redis.url, an existing Secret, or the bundled Redis with its password Secret. */}}
{{- define "switchboard.redisEnv" -}}
{{- if .Values.redis.enabled -}}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Release.Name }}-redis
      key: redis-password
- name: REDIS_URL
  value: "redis://:$(REDIS_PASSWORD)@{{ .Release.Name }}-redis-master:6379"
{{- else if .Values.redis.urlSecret.name -}}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.urlSecret.name }}
      key: {{ .Values.redis.urlSecret.key }}
{{- else -}}
- name: REDIS_URL
  value: {{ .Values.redis.url | quote }}
{{- end }}
{{- end }}

{{/*
Environment every app gets after its own variables: log level, subject prefix, the chart-wide envVars, the component's
envVars (later entries win) and extraEnvVars. Argument: (dict "context" $ "envVars" <the component's envVars>).
*/}}
{{- define "switchboard.commonEnv" -}}
- name: LOG_LEVEL
  value: {{ .context.Values.logLevel | quote }}
- name: SWITCHBOARD_SUBJECT_PREFIX
  value: {{ .context.Values.subjectPrefix | quote }}
{{- range $name, $value := .context.Values.envVars }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range $name, $value := .envVars }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- with .context.Values.extraEnvVars }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* envFrom entries. Argument: (dict "context" $ "secrets" <the component's environmentSecrets>). */}}
{{- define "switchboard.envFrom" -}}
{{- range .context.Values.environmentConfigMaps }}
- configMapRef:
    name: {{ . }}
{{- end }}
{{- range .context.Values.environmentSecrets }}
- secretRef:
    name: {{ . }}
{{- end }}
{{- range .secrets }}
- secretRef:
    name: {{ . }}
{{- end }}
{{- end }}

{{/* METRICS_PORT ("0" turns metrics off) and METRICS_AUTH_TOKEN. Argument: (dict "context" $ "port" "9464"). */}}
{{- define "switchboard.metricsEnv" -}}
- name: METRICS_PORT
  value: {{ if .context.Values.metrics.enabled }}{{ .port | quote }}{{ else }}"0"{{ end }}
{{- with .context.Values.metrics.authTokenSecret.name }}
- name: METRICS_AUTH_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.context.Values.metrics.authTokenSecret.key }}
{{- end }}
{{- end }}

{{/* SALT_KEY from its Secret, when one is named (auth service and workers). */}}
{{- define "switchboard.saltKeyEnv" -}}
{{- with .Values.saltKeySecret.name -}}
- name: SALT_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.saltKeySecret.key }}
{{- end }}
{{- end }}

{{/* Pod-level settings shared by every pod: security context, pull secrets, scheduling. */}}
{{- define "switchboard.podSpec" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* A zone spread of one component's pods. Argument: selector-label dict plus "spread". */}}
{{- define "switchboard.topologySpread" -}}
topologySpreadConstraints:
  - maxSkew: {{ .spread.maxSkew }}
    topologyKey: {{ .spread.topologyKey }}
    whenUnsatisfiable: {{ .spread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "switchboard.selectorLabels" . | nindent 8 }}
{{- end }}

{{/* Rolls the pods that read the config when the config changes. */}}
{{- define "switchboard.configChecksum" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- end }}

{{/* HPA metrics: the custom list when given, else CPU and / or memory utilisation targets. */}}
{{- define "switchboard.hpaMetrics" -}}
{{- if .metrics }}
{{- toYaml .metrics }}
{{- else }}
{{- with .targetCPUUtilizationPercentage }}
- type: Resource
  resource:
    name: cpu
    target:
      type: Utilization
      averageUtilization: {{ . }}
{{- end }}
{{- with .targetMemoryUtilizationPercentage }}
- type: Resource
  resource:
    name: memory
    target:
      type: Utilization
      averageUtilization: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{/* A PodDisruptionBudget's limit: maxUnavailable when set, else minAvailable. */}}
{{- define "switchboard.pdbBudget" -}}
{{- if .maxUnavailable -}}
maxUnavailable: {{ .maxUnavailable }}
{{- else -}}
minAvailable: {{ .minAvailable | default 1 }}
{{- end }}
{{- end }}
