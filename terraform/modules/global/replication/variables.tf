variable "environment" {
  description = "Short environment name, as given to the region modules."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{0,5}$", var.environment))
    error_message = "environment must be 1-6 lowercase letters or digits, starting with a letter."
  }
}

variable "target" {
  description = "The region replicated into (this module's provider must point at its AWS region): Meridian name, MSK cluster ARN, broker subnets and the replication security group (outputs of modules/region)."
  type = object({
    name              = string
    msk_cluster_arn   = string
    subnet_ids        = list(string)
    security_group_id = string
  })
}

variable "sources" {
  description = "The regions replicated from, by Meridian region name. Each source cluster must have multi-VPC connectivity and the replicator cluster policy (modules/region with msk_multi_vpc_enabled = true)."
  type = map(object({
    msk_cluster_arn   = string
    subnet_ids        = list(string)
    security_group_id = string
  }))

  validation {
    condition     = length(var.sources) >= 1
    error_message = "At least one source region is required."
  }
}

variable "topic_kinds" {
  description = "Per-region topics carried to the other regions: meridian.<source>.<kind>. Dead-letter topics stay in their region."
  type        = list(string)
  default     = ["events", "hotkeys"]

  validation {
    condition     = length(var.topic_kinds) >= 1 && alltrue([for k in var.topic_kinds : can(regex("^[a-z][a-z0-9-]*$", k))])
    error_message = "topic_kinds must be a non-empty list of lowercase topic suffixes."
  }
}

variable "starting_position" {
  description = "Where a new replicator starts in the source topics. EARLIEST copies the retained log, so a region added later (or a replicator recreated) still receives every event that is still retained."
  type        = string
  default     = "EARLIEST"

  validation {
    condition     = contains(["EARLIEST", "LATEST"], var.starting_position)
    error_message = "starting_position must be EARLIEST or LATEST."
  }
}

variable "target_compression_type" {
  description = "Compression of the records MSK Replicator writes to the target cluster."
  type        = string
  default     = "LZ4"

  validation {
    condition     = contains(["NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"], var.target_compression_type)
    error_message = "target_compression_type must be NONE, GZIP, SNAPPY, LZ4 or ZSTD."
  }
}

variable "tags" {
  description = "Extra tags for every taggable resource."
  type        = map(string)
  default     = {}
}
