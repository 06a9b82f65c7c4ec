# Example production environment: three regions (us-east-1, eu-west-1, ap-south-1), latency-based DNS in front of
# them, and topic replication between every ordered pair of regions.
#
# Bootstrap (see README): apply once with the defaults, then again with
#   msk_multi_vpc_enabled = true and cross_region_replication_enabled = true.

locals {
  # Meridian region name => AWS region and stable region id. The ids equal the gateway's default (index in the
  # alphabetically sorted region list) so that local runs and production agree; never renumber a region.
  regions = {
    "ap-south" = { aws_region = "ap-south-1", id = 0 }
    "eu-west"  = { aws_region = "eu-west-1", id = 1 }
    "us-east"  = { aws_region = "us-east-1", id = 2 }
  }

  # Every gateway forwards writes and remote fills to <region>.<domain_name>. Built from names, not from module
  # outputs, so that no region module depends on another.
  deployment_regions = {
    for name, r in local.regions : name => {
      gateway_url = "https://${name}.${var.domain_name}"
      id          = r.id
    }
  }

  common = {
    environment                      = var.environment
    gateway_image                    = var.gateway_image
    replicator_image                 = var.replicator_image
    msk_multi_vpc_enabled            = var.msk_multi_vpc_enabled
    cross_region_replication_enabled = var.cross_region_replication_enabled && var.msk_multi_vpc_enabled
  }
}

resource "terraform_data" "bootstrap_order" {
  lifecycle {
    precondition {
      condition     = !var.cross_region_replication_enabled || var.msk_multi_vpc_enabled
      error_message = "cross_region_replication_enabled needs msk_multi_vpc_enabled = true: MSK Replicator reads other regions' clusters over multi-VPC connectivity."
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------------------------------------

module "region_us_east" {
  source    = "../../modules/region"
  providers = { aws = aws.us_east_1 }

  environment        = local.common.environment
  meridian_region    = "us-east"
  deployment_regions = local.deployment_regions

  vpc_id             = var.networks["us-east"].vpc_id
  private_subnet_ids = var.networks["us-east"].private_subnet_ids
  alb_subnet_ids     = var.networks["us-east"].alb_subnet_ids
  certificate_arn    = var.networks["us-east"].certificate_arn

  redis_auth_token_secret_arn = var.networks["us-east"].redis_auth_token_secret_arn
  internal_secret_arn         = var.networks["us-east"].internal_secret_arn

  gateway_image         = local.common.gateway_image
  replicator_image      = local.common.replicator_image
  msk_multi_vpc_enabled = local.common.msk_multi_vpc_enabled

  # The largest region: more shards and a higher autoscaling ceiling.
  redis_shards      = 4
  gateway_min_count = 3
  gateway_max_count = 40

  tags = var.tags
}

module "region_eu_west" {
  source    = "../../modules/region"
  providers = { aws = aws.eu_west_1 }

  environment        = local.common.environment
  meridian_region    = "eu-west"
  deployment_regions = local.deployment_regions

  vpc_id             = var.networks["eu-west"].vpc_id
  private_subnet_ids = var.networks["eu-west"].private_subnet_ids
  alb_subnet_ids     = var.networks["eu-west"].alb_subnet_ids
  certificate_arn    = var.networks["eu-west"].certificate_arn

  redis_auth_token_secret_arn = var.networks["eu-west"].redis_auth_token_secret_arn
  internal_secret_arn         = var.networks["eu-west"].internal_secret_arn

  gateway_image         = local.common.gateway_image
  replicator_image      = local.common.replicator_image
  msk_multi_vpc_enabled = local.common.msk_multi_vpc_enabled

  tags = var.tags
}

module "region_ap_south" {
  source    = "../../modules/region"
  providers = { aws = aws.ap_south_1 }

  environment        = local.common.environment
  meridian_region    = "ap-south"
  deployment_regions = local.deployment_regions

  vpc_id             = var.networks["ap-south"].vpc_id
  private_subnet_ids = var.networks["ap-south"].private_subnet_ids
  alb_subnet_ids     = var.networks["ap-south"].alb_subnet_ids
  certificate_arn    = var.networks["ap-south"].certificate_arn

  redis_auth_token_secret_arn = var.networks["ap-south"].redis_auth_token_secret_arn
  internal_secret_arn         = var.networks["ap-south"].internal_secret_arn

  gateway_image         = local.common.gateway_image
  replicator_image      = local.common.replicator_image
  msk_multi_vpc_enabled = local.common.msk_multi_vpc_enabled

  tags = var.tags
}

locals {
  region_outputs = {
    "us-east"  = module.region_us_east
    "eu-west"  = module.region_eu_west
    "ap-south" = module.region_ap_south
  }

  # What a region contributes to replication, as source or as target.
  replication_endpoints = {
    for name, m in local.region_outputs : name => {
      msk_cluster_arn   = m.msk_cluster_arn
      subnet_ids        = m.msk_subnet_ids
      security_group_id = m.msk_replication_security_group_id
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------------
# Global: latency-based DNS (Route 53 is global; any provider configuration will do)
# ---------------------------------------------------------------------------------------------------------------------

module "global" {
  source    = "../../modules/global"
  providers = { aws = aws.us_east_1 }

  environment = var.environment
  zone_id     = var.route53_zone_id
  domain_name = var.domain_name

  regions = {
    for name, m in local.region_outputs : name => {
      aws_region   = local.regions[name].aws_region
      alb_dns_name = m.alb_dns_name
      alb_zone_id  = m.alb_zone_id
    }
  }

  tags = var.tags
}

# ---------------------------------------------------------------------------------------------------------------------
# Cross-region topic replication: one module per target region (its provider), one replicator per source region
# ---------------------------------------------------------------------------------------------------------------------

module "replication_into_us_east" {
  source    = "../../modules/global/replication"
  providers = { aws = aws.us_east_1 }
  count     = local.common.cross_region_replication_enabled ? 1 : 0

  environment = var.environment
  target      = merge(local.replication_endpoints["us-east"], { name = "us-east" })
  sources     = { for name, e in local.replication_endpoints : name => e if name != "us-east" }
  tags        = var.tags
}

module "replication_into_eu_west" {
  source    = "../../modules/global/replication"
  providers = { aws = aws.eu_west_1 }
  count     = local.common.cross_region_replication_enabled ? 1 : 0

  environment = var.environment
  target      = merge(local.replication_endpoints["eu-west"], { name = "eu-west" })
  sources     = { for name, e in local.replication_endpoints : name => e if name != "eu-west" }
  tags        = var.tags
}

module "replication_into_ap_south" {
  source    = "../../modules/global/replication"
  providers = { aws = aws.ap_south_1 }
  count     = local.common.cross_region_replication_enabled ? 1 : 0

  environment = var.environment
  target      = merge(local.replication_endpoints["ap-south"], { name = "ap-south" })
  sources     = { for name, e in local.replication_endpoints : name => e if name != "ap-south" }
  tags        = var.tags
}
