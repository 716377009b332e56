"""The form itself (政府信息公开工作年度报告格式), as data: its tables' rows and columns with their labels
and aliases (:mod:`.templates`), how a printed label is matched to them (:mod:`.labels`), how its
numbers print (:mod:`.digits`) and its arithmetic identities (:mod:`.identities`). Part of the
ground every stage stands on: it imports nothing of the stages.
"""
