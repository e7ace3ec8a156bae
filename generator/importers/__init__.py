"""Import stage: a published list (Word document or text dump) becomes a register draft.

Readers (`text`, `word`) turn a file into the same block stream; `parts` finds the four
parts, `tables` and `supervision` parse them, `shared` matches departments, laws and
topics against registers/, `draft` assigns ids and `emit` writes the house YAML style.
Everything the importer could not do is collected as `notes.Note`s, never dropped.
"""
