variable "environment" {
  description = "Short environment name, as given to the region modules."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{0,5}$", var.environment))
    error_message = "environment must be 1-6 lowercase letters or digits, starting with a letter."
  }
}

variable "zone_id" {
  description = "Route 53 hosted zone that holds domain_name."
  type        = string
}

variable "domain_name" {
  description = "Name clients use (e.g. cache.example.com). It resolves to the lowest-latency healthy region; <region>.<domain_name> resolves to one region's gateway (used by the gateways for forwarding and remote fills)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name without a trailing dot."
  }
}

variable "regions" {
  description = "Every region, by Meridian region name: its AWS region (the latency-routing region) and its ALB (outputs alb_dns_name and alb_zone_id of modules/region)."
  type = map(object({
    aws_region   = string
    alb_dns_name = string
    alb_zone_id  = string
  }))

  validation {
    condition     = length(var.regions) >= 1
    error_message = "At least one region is required."
  }

  validation {
    condition     = length(distinct([for r in values(var.regions) : r.aws_region])) == length(var.regions)
    error_message = "Each Meridian region must sit in its own AWS region: latency routing chooses between AWS regions."
  }
}

variable "health_check_path" {
  description = "Path Route 53 probes on each region's gateway."
  type        = string
  default     = "/q/health/ready"
}

variable "health_check_interval_seconds" {
  description = "Route 53 health check interval (10 or 30 seconds; 10 costs more)."
  type        = number
  default     = 30

  validation {
    condition     = contains([10, 30], var.health_check_interval_seconds)
    error_message = "health_check_interval_seconds must be 10 or 30."
  }
}

variable "health_check_failure_threshold" {
  description = "Consecutive failures before a region is taken out of the latency answer."
  type        = number
  default     = 3

  validation {
    condition     = var.health_check_failure_threshold >= 1 && var.health_check_failure_threshold <= 10
    error_message = "health_check_failure_threshold must be between 1 and 10."
  }
}

variable "tags" {
  description = "Extra tags for every taggable resource."
  type        = map(string)
  default     = {}
}
