-- Argo CD health of a mailgun.ippools.dev resource, from the kstatus conditions the operator
-- writes: Progressing while it works toward the current generation, Degraded when it is stalled
-- (with the operator's message), Suspended while paused, Healthy once Ready.
local hs = { status = "Progressing", message = "Waiting for the operator to observe the resource" }

local function condition(conditions, kind)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.message = "Deleting"
  local synced = obj.status ~= nil and condition(obj.status.conditions, "Synced") or nil
  if synced ~= nil and synced.status == "False" and synced.message ~= nil and synced.message ~= "" then
    hs.message = "Deleting: " .. synced.message
  end
  return hs
end
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= obj.metadata.generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(obj.metadata.generation)
  return hs
end

local conditions = obj.status.conditions
local reconciling = condition(conditions, "Reconciling")
local stalled = condition(conditions, "Stalled")
local synced = condition(conditions, "Synced")
local ready = condition(conditions, "Ready")

if isTrue(reconciling) then
  hs.message = reconciling.message
  return hs
end
if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = stalled.message
  return hs
end
local annotations = obj.metadata.annotations
if (annotations ~= nil and annotations["mailgun.ippools.dev/paused"] == "true")
    or (synced ~= nil and synced.reason == "ReconcilePaused") then
  hs.status = "Suspended"
  hs.message = synced ~= nil and synced.message or "Paused"
  return hs
end
if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = ready.message
  return hs
end
if ready ~= nil then
  hs.message = ready.message
end
return hs
