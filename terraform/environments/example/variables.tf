variable "environment" {
  description = "Short environment name (1-6 characters), part of every resource name."
  type        = string
  default     = "prod"
}

variable "domain_name" {
  description = "Name clients use, e.g. cache.example.com; <region>.<domain_name> names each region."
  type        = string
}

variable "route53_zone_id" {
  description = "Hosted zone holding domain_name."
  type        = string
}

variable "gateway_image" {
  description = "region-gateway image (same in every region), pinned by digest. Replicate the ECR repository to every region or pull from one."
  type        = string
}

variable "replicator_image" {
  description = "replicator image (same in every region), pinned by digest."
  type        = string
}

variable "networks" {
  description = "Per Meridian region: the existing VPC and subnets, the ACM certificate (in that AWS region) and the Secrets Manager secrets (in that AWS region; replicate one secret to every region so the values agree)."
  type = map(object({
    vpc_id                      = string
    private_subnet_ids          = list(string)
    alb_subnet_ids              = list(string)
    certificate_arn             = string
    internal_secret_arn         = string
    redis_auth_token_secret_arn = string
  }))

  validation {
    condition     = alltrue([for r in ["us-east", "eu-west", "ap-south"] : contains(keys(var.networks), r)])
    error_message = "networks must have entries for us-east, eu-west and ap-south."
  }
}

variable "msk_multi_vpc_enabled" {
  description = "Bootstrap step 2: turn on MSK multi-VPC connectivity and the replicator cluster policy in every region. Leave false on the very first apply (MSK rejects it at cluster creation)."
  type        = bool
  default     = false
}

variable "cross_region_replication_enabled" {
  description = "Bootstrap step 2 (with msk_multi_vpc_enabled): create the MSK replicators between every ordered pair of regions."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}
