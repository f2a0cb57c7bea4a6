{{/*
The Deployment of a background service (budget, logging, auth): a NATS consumer with a health port and no HTTP
traffic. Argument: (dict "context" $ "app" "budget" "values" .Values.budget "healthPortEnv" "BUDGET_HEALTH_PORT"
"healthPort" "4003" "database" true "redis" false "saltKey" false), plus "metricsPort" "9466" for a service that serves
Prometheus metrics on an internal port.
*/}}
{{- define "switchboard.serviceDeployment" -}}
{{- $context := .context }}
{{- $values := .values }}
{{- $shutdown := $context.Values.gracefulShutdown }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "switchboard.fullname" $context }}-{{ .app }}
  labels:
    {{- include "switchboard.labels" (dict "context" $context "component" .app) | nindent 4 }}
spec:
  replicas: {{ $values.replicaCount }}
  selector:
    matchLabels:
      {{- include "switchboard.selectorLabels" (dict "context" $context "component" .app) | nindent 6 }}
  template:
    metadata:
      annotations:
        {{- include "switchboard.configChecksum" $context | nindent 8 }}
        {{- with $context.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      labels:
        {{- include "switchboard.labels" (dict "context" $context "component" .app) | nindent 8 }}
        {{- with $context.Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "switchboard.serviceAccountName" $context }}
      automountServiceAccountToken: false
      {{- include "switchboard.podSpec" $context | nindent 6 }}
      terminationGracePeriodSeconds: {{ add $shutdown.graceSeconds $shutdown.terminationBufferSeconds }}
      containers:
        - name: {{ .app }}
          image: {{ include "switchboard.image" (dict "context" $context "app" .app) }}
          imagePullPolicy: {{ $context.Values.image.pullPolicy }}
          {{- include "switchboard.args" .app | nindent 10 }}
          env:
            - name: {{ .healthPortEnv }}
              value: {{ .healthPort | quote }}
            {{- with .metricsPort }}
            {{- include "switchboard.metricsEnv" (dict "context" $context "port" .) | nindent 12 }}
            {{- end }}
            - name: NATS_URL
              value: {{ include "switchboard.natsUrl" $context | quote }}
            {{- if .database }}
            {{- include "switchboard.databaseEnv" $context | nindent 12 }}
            {{- end }}
            {{- if .redis }}
            {{- include "switchboard.redisEnv" $context | nindent 12 }}
            {{- end }}
            {{- if .saltKey }}
            {{- with include "switchboard.saltKeyEnv" $context }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- end }}
            - name: SWITCHBOARD_CONFIG
              value: /etc/switchboard/config.yaml
            {{- include "switchboard.commonEnv" (dict "context" $context "envVars" $values.envVars) | nindent 12 }}
          {{- with include "switchboard.envFrom" (dict "context" $context "secrets" $values.environmentSecrets) | trim }}
          envFrom:
            {{- . | nindent 12 }}
          {{- end }}
          ports:
            - name: health
              containerPort: {{ .healthPort }}
              protocol: TCP
            {{- if and .metricsPort $context.Values.metrics.enabled }}
            - name: metrics
              containerPort: {{ .metricsPort }}
              protocol: TCP
            {{- end }}
          readinessProbe:
            httpGet:
              path: /health/readiness
              port: health
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          livenessProbe:
            httpGet:
              path: /health/liveliness
              port: health
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          {{- with $values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          securityContext:
            {{- toYaml $context.Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: /etc/switchboard
              readOnly: true
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: {{ include "switchboard.fullname" $context }}-config
        - name: tmp
          emptyDir: {}
{{- end }}
