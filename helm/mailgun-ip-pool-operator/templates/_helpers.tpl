{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "mailgun-ip-pool-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, prefixed with the chart name unless it already holds it. */}}
{{- define "mailgun-ip-pool-operator.fullname" -}}
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

{{- define "mailgun-ip-pool-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mailgun-ip-pool-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mailgun-ip-pool-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mailgun-ip-pool-operator.labels" -}}
helm.sh/chart: {{ include "mailgun-ip-pool-operator.chart" . }}
{{ include "mailgun-ip-pool-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: mailgun-ip-pool-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "mailgun-ip-pool-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mailgun-ip-pool-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "mailgun-ip-pool-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The default account's Secret as the operator reads it (DEFAULT_ACCOUNT_SECRET): existingSecret
wins; otherwise the Secret this chart renders when create is true; otherwise empty.
*/}}
{{- define "mailgun-ip-pool-operator.defaultAccountSecret" -}}
{{- if .Values.defaultAccount.existingSecret }}
{{- .Values.defaultAccount.existingSecret }}
{{- else if .Values.defaultAccount.create }}
{{- printf "%s-default-account" (include "mailgun-ip-pool-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/*
The probes' host: the kubelet probes from the node, which reaches an address the operator binds
only when the pod shares the node's network. Empty: the pod's IP, as usual.
*/}}
{{- define "mailgun-ip-pool-operator.probeHost" -}}
{{- $bind := .Values.http.bindAddress }}
{{- if and $bind (not (has $bind (list "0.0.0.0" "::"))) }}
{{- if not .Values.hostNetwork }}
{{- fail "http.bindAddress needs hostNetwork: true (the kubelet probes from the node's network)" }}
{{- end }}
host: {{ $bind }}
{{- end }}
{{- end }}

{{- define "mailgun-ip-pool-operator.leaseNamespace" -}}
{{- default .Release.Namespace .Values.leaderElection.leaseNamespace }}
{{- end }}

{{/*
What the operator does with the Kubernetes API, granted cluster-wide or per watched namespace:
reconcile its two kinds (no create or delete: users own them), read account Secrets, record
Events.
*/}}
{{- define "mailgun-ip-pool-operator.managerRules" -}}
- apiGroups:
    - mailgun.ippools.dev
  resources:
    - ippools
    - domainpoolbindings
  verbs:
    - get
    - list
    - watch
    - update
    - patch
- apiGroups:
    - mailgun.ippools.dev
  resources:
    - ippools/status
    - domainpoolbindings/status
  verbs:
    - get
    - update
    - patch
- apiGroups:
    - mailgun.ippools.dev
  resources:
    - ippools/finalizers
    - domainpoolbindings/finalizers
  verbs:
    - update
# Account Secrets are read one by one, by name, when a resource names them: never listed or
# watched (README, "Security model").
- apiGroups:
    - ""
  resources:
    - secrets
  verbs:
    - get
- apiGroups:
    - ""
  resources:
    - events
  verbs:
    - create
    - patch
- apiGroups:
    - events.k8s.io
  resources:
    - events
  verbs:
    - create
    - patch
{{- end }}
