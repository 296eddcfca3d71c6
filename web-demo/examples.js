// Example filings for the demo's “填入示例” button: for each pack, the first apply case of
// /work/shared/cases/<pack>.json that is valid for final submission (data copied verbatim).
export const examples = {
  "potou": {
    "id": "potou-apply-001",
    "description": "完全合规的专业类软件开发服务项目立项申请（审批制），9月15日申报次年项目。",
    "data": {
      "applicant": {
        "unit_name": "湛江市坡头区示例业务局",
        "credit_code": "114408040073500118",
        "unit_kind": "party_government",
        "admin_level": "district_county",
        "unit_principal_name": "陈国强",
        "contact_name": "李晓燕",
        "contact_mobile": "13902601234",
        "contact_landline": "0759-3312345",
        "contact_email": "ptsl@example.org"
      },
      "is_classified": false,
      "involves_crypto": true,
      "builds_mobile_app": false,
      "procures_server_storage_hardware": false,
      "builds_machine_room_dc": false,
      "data_resource_catalog": {
        "compiled": true,
        "registered": false
      },
      "info_sharing_analysis": {
        "included": true
      },
      "is_cross_department": false,
      "performance_targets": [
        {
          "indicator": "业务事项线上办理率",
          "target_value": "≥90%"
        },
        {
          "indicator": "数据共享调用次数（次/年）",
          "target_value": "≥10000"
        }
      ],
      "business_scenario": "面向本单位日常监管业务，实现线索受理、任务派发、现场核查、结果反馈全流程线上闭环。",
      "submission_date": "2025-09-15",
      "filing_stage": "approval",
      "approval_document": "project_plan",
      "project_name": "坡头区示例业务协同平台软件开发服务项目",
      "project_nature": "new_build",
      "service_category": "software_dev",
      "service_subcategory": "professional_software",
      "service_scope": "professional",
      "construction_mode": "service_procurement",
      "content_types": [
        "application_system"
      ],
      "system_function_category": "business_management",
      "total_investment_wan": "180.00",
      "funding_sources": [
        {
          "source": "local_fiscal",
          "amount_wan": "180.00"
        }
      ],
      "involves_new_fiscal_funds": false,
      "annual_funding_plan": [
        {
          "year": 2026,
          "amount_wan": "120.00"
        },
        {
          "year": 2027,
          "amount_wan": "60.00"
        }
      ],
      "planned_start_date": "2026-01-05",
      "planned_end_date": "2027-06-30",
      "djcp_level": "level_2",
      "deployment_location": "gov_cloud",
      "supervision_planned": false,
      "systems_added": 1,
      "systems_retired": 1,
      "unit_it_plan_in_place": true,
      "project_owner_name": "陈国强",
      "attachments": [
        {
          "kind": "project_plan",
          "file_name": "project_plan.pdf"
        },
        {
          "kind": "internal_review_opinion",
          "file_name": "internal_review_opinion.pdf"
        },
        {
          "kind": "data_resource_catalog",
          "file_name": "data_resource_catalog.pdf"
        },
        {
          "kind": "secure_reliable_statement",
          "file_name": "secure_reliable_statement.pdf"
        }
      ]
    }
  },
  "bazhong": {
    "id": "bazhong-apply-001",
    "description": "完全合规：已批项目建议书、纳入年度清单的自行建设项目报批可行性研究报告，五部门书面意见齐全。",
    "data": {
      "applicant": {
        "unit_name": "巴中市示例行业管理局",
        "credit_code": "11511900008745015K",
        "unit_kind": "party_government",
        "admin_level": "municipal",
        "unit_principal_name": "王建国",
        "contact_name": "张敏",
        "contact_mobile": "13881612345",
        "contact_landline": "0827-5212345",
        "contact_email": "bzhy@example.org"
      },
      "is_classified": false,
      "involves_crypto": true,
      "builds_mobile_app": false,
      "procures_server_storage_hardware": false,
      "builds_machine_room_dc": false,
      "data_resource_catalog": {
        "compiled": true,
        "registered": false
      },
      "info_sharing_analysis": {
        "included": true
      },
      "is_cross_department": false,
      "performance_targets": [
        {
          "indicator": "业务事项线上办理率",
          "target_value": "≥90%"
        },
        {
          "indicator": "数据共享调用次数（次/年）",
          "target_value": "≥10000"
        }
      ],
      "business_scenario": "面向本单位日常监管业务，实现线索受理、任务派发、现场核查、结果反馈全流程线上闭环。",
      "submission_date": "2025-11-10",
      "filing_stage": "approval",
      "approval_document": "feasibility_study",
      "prior_approvals": [
        {
          "document": "project_proposal",
          "approval_no": "示例巴发改〔2025〕1号",
          "approval_date": "2025-08-15"
        }
      ],
      "project_name": "巴中市示例行业监管数据平台建设项目",
      "project_nature": "new_build",
      "construction_mode": "self_build",
      "content_types": [
        "application_system",
        "data_resource"
      ],
      "system_function_category": "gov_service",
      "total_investment_wan": "500.00",
      "funding_sources": [
        {
          "source": "local_fiscal",
          "amount_wan": "500.00"
        }
      ],
      "annual_funding_plan": [
        {
          "year": 2026,
          "amount_wan": "350.00"
        },
        {
          "year": 2027,
          "amount_wan": "150.00"
        }
      ],
      "planned_start_date": "2026-03-01",
      "planned_end_date": "2027-06-30",
      "djcp_level": "level_3",
      "deployment_location": "gov_cloud",
      "integrations": {
        "data_sharing_platform": true,
        "gov_service_platform": true,
        "common_support_platform": true,
        "collaborative_office_platform": false
      },
      "open_for_shared_use": true,
      "applicant_status": {
        "has_unaccepted_projects": false,
        "data_aggregation_done": true,
        "data_sharing_violation": false,
        "security_noncompliant": false
      },
      "in_annual_list": true,
      "has_industry_authority": false,
      "supervision_planned": true,
      "project_owner_name": "王建国",
      "attachments": [
        {
          "kind": "feasibility_study",
          "file_name": "feasibility_study.pdf"
        },
        {
          "kind": "secure_reliable_statement",
          "file_name": "secure_reliable_statement.pdf"
        },
        {
          "kind": "data_resource_catalog",
          "file_name": "data_resource_catalog.pdf"
        },
        {
          "kind": "opinion_cac",
          "file_name": "opinion_cac.pdf"
        },
        {
          "kind": "opinion_secrecy",
          "file_name": "opinion_secrecy.pdf"
        },
        {
          "kind": "opinion_finance",
          "file_name": "opinion_finance.pdf"
        },
        {
          "kind": "opinion_public_security",
          "file_name": "opinion_public_security.pdf"
        },
        {
          "kind": "opinion_industry_it",
          "file_name": "opinion_industry_it.pdf"
        }
      ]
    }
  },
  "gaogang": {
    "id": "gaogang-apply-001",
    "description": "完全合规的下一年度新建项目计划申报，附建设方案和密码应用方案。",
    "data": {
      "applicant": {
        "unit_name": "泰州市高港区示例业务局",
        "credit_code": "113212030140020154",
        "unit_kind": "party_government",
        "admin_level": "district_county",
        "unit_principal_name": "周志军",
        "contact_name": "刘洋",
        "contact_mobile": "15952612345",
        "contact_landline": "0523-86812345",
        "contact_email": "gghy@example.org"
      },
      "is_classified": false,
      "involves_crypto": true,
      "builds_mobile_app": false,
      "procures_server_storage_hardware": false,
      "builds_machine_room_dc": false,
      "data_resource_catalog": {
        "compiled": true,
        "registered": false
      },
      "info_sharing_analysis": {
        "included": true
      },
      "is_cross_department": false,
      "performance_targets": [
        {
          "indicator": "业务事项线上办理率",
          "target_value": "≥90%"
        },
        {
          "indicator": "数据共享调用次数（次/年）",
          "target_value": "≥10000"
        }
      ],
      "business_scenario": "面向本单位日常监管业务，实现线索受理、任务派发、现场核查、结果反馈全流程线上闭环。",
      "submission_date": "2025-09-10",
      "filing_stage": "plan",
      "project_name": "高港区示例网格化治理系统建设项目",
      "project_nature": "new_build",
      "construction_mode": "self_build",
      "content_types": [
        "application_system"
      ],
      "system_function_category": "business_management",
      "total_investment_wan": "80.00",
      "funding_sources": [
        {
          "source": "local_fiscal",
          "amount_wan": "80.00"
        }
      ],
      "annual_funding_plan": [
        {
          "year": 2026,
          "amount_wan": "80.00"
        }
      ],
      "planned_start_date": "2026-03-01",
      "planned_end_date": "2026-12-31",
      "djcp_level": "level_2",
      "deployment_location": "gov_cloud",
      "supervision_planned": false,
      "attachments": [
        {
          "kind": "construction_plan",
          "file_name": "construction_plan.pdf"
        },
        {
          "kind": "crypto_application_plan",
          "file_name": "crypto_application_plan.pdf"
        }
      ]
    }
  },
  "pingyang": {
    "id": "pingyang-apply-001",
    "description": "边界：投资额199.99万元的一般建设项目，单位自行编写方案、未委托监理，提交技术审查，合规。",
    "data": {
      "applicant": {
        "unit_name": "平阳县示例业务局",
        "credit_code": "11330326002715018M",
        "unit_kind": "party_government",
        "admin_level": "district_county",
        "unit_principal_name": "林海峰",
        "contact_name": "黄丽",
        "contact_mobile": "13757712345",
        "contact_landline": "0577-63712345",
        "contact_email": "pyhy@example.org"
      },
      "is_classified": false,
      "involves_crypto": true,
      "builds_mobile_app": false,
      "procures_server_storage_hardware": false,
      "builds_machine_room_dc": false,
      "data_resource_catalog": {
        "compiled": true,
        "registered": false
      },
      "info_sharing_analysis": {
        "included": true
      },
      "is_cross_department": false,
      "performance_targets": [
        {
          "indicator": "业务事项线上办理率",
          "target_value": "≥90%"
        },
        {
          "indicator": "数据共享调用次数（次/年）",
          "target_value": "≥10000"
        }
      ],
      "business_scenario": "面向本单位日常监管业务，实现线索受理、任务派发、现场核查、结果反馈全流程线上闭环。",
      "submission_date": "2025-03-10",
      "filing_stage": "approval",
      "approval_document": "construction_plan",
      "project_name": "平阳县示例智慧监管应用建设项目",
      "project_nature": "new_build",
      "construction_mode": "self_build",
      "content_types": [
        "application_system"
      ],
      "system_function_category": "business_management",
      "total_investment_wan": "199.99",
      "funding_sources": [
        {
          "source": "local_fiscal",
          "amount_wan": "199.99"
        }
      ],
      "annual_funding_plan": [
        {
          "year": 2025,
          "amount_wan": "199.99"
        }
      ],
      "planned_start_date": "2025-04-01",
      "planned_end_date": "2025-12-31",
      "djcp_level": "level_2",
      "deployment_location": "gov_cloud",
      "plan_author": "self",
      "supervision_planned": false,
      "attachments": [
        {
          "kind": "construction_plan",
          "file_name": "construction_plan.pdf"
        }
      ]
    }
  },
  "jianshan": {
    "id": "jianshan-apply-001",
    "description": "完全合规：新建项目已在省平台赋码，可研含信息资源共享分析独立篇章，附信息资源目录和安全可靠说明。",
    "data": {
      "applicant": {
        "unit_name": "双鸭山市尖山区示例业务局",
        "credit_code": "112305020068120186",
        "unit_kind": "party_government",
        "admin_level": "district_county",
        "unit_principal_name": "赵文斌",
        "contact_name": "孙磊",
        "contact_mobile": "18845612345",
        "contact_landline": "0469-4212345",
        "contact_email": "jshy@example.org"
      },
      "is_classified": false,
      "involves_crypto": true,
      "builds_mobile_app": false,
      "procures_server_storage_hardware": false,
      "builds_machine_room_dc": false,
      "data_resource_catalog": {
        "compiled": true,
        "registered": false
      },
      "info_sharing_analysis": {
        "included": true,
        "standalone_chapter": true
      },
      "is_cross_department": false,
      "performance_targets": [
        {
          "indicator": "业务事项线上办理率",
          "target_value": "≥90%"
        },
        {
          "indicator": "数据共享调用次数（次/年）",
          "target_value": "≥10000"
        }
      ],
      "business_scenario": "面向本单位日常监管业务，实现线索受理、任务派发、现场核查、结果反馈全流程线上闭环。",
      "submission_date": "2025-05-12",
      "filing_stage": "approval",
      "approval_document": "feasibility_study",
      "project_code": "2025-230502-65-01-000456",
      "project_name": "尖山区示例一网统管平台建设项目",
      "project_nature": "new_build",
      "construction_mode": "self_build",
      "content_types": [
        "application_system",
        "data_resource"
      ],
      "system_function_category": "gov_service",
      "total_investment_wan": "260.00",
      "funding_sources": [
        {
          "source": "local_fiscal",
          "amount_wan": "160.00"
        },
        {
          "source": "upper_fiscal",
          "amount_wan": "100.00"
        }
      ],
      "annual_funding_plan": [
        {
          "year": 2025,
          "amount_wan": "100.00"
        },
        {
          "year": 2026,
          "amount_wan": "160.00"
        }
      ],
      "planned_start_date": "2025-07-01",
      "planned_end_date": "2026-09-30",
      "djcp_level": "level_3",
      "deployment_location": "gov_cloud",
      "supervision_planned": true,
      "project_owner_name": "赵文斌",
      "attachments": [
        {
          "kind": "feasibility_study",
          "file_name": "feasibility_study.pdf"
        },
        {
          "kind": "data_resource_catalog",
          "file_name": "data_resource_catalog.pdf"
        },
        {
          "kind": "secure_reliable_statement",
          "file_name": "secure_reliable_statement.pdf"
        }
      ]
    }
  }
};
