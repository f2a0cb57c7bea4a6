import { z } from 'zod';

/**
 * The Responses API request, validated at the edge; loose so new fields pass through.
 * https://platform.openai.com/docs/api-reference/responses/create
 */
const inputContent = z.union([
  z.string(),
  z.array(
    z.looseObject({
      type: z.enum(['input_text', 'output_text', 'input_image', 'input_file', 'refusal', 'summary_text', 'reasoning_text']),
      text: z.string().optional(),
      image_url: z.string().nullish(),
      refusal: z.string().optional(),
    }),
  ),
]);

export const inputItemSchema = z.union([
  z.looseObject({
    type: z.literal('message').optional(),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: inputContent,
  }),
  z.looseObject({ type: z.literal('function_call'), call_id: z.string(), name: z.string(), arguments: z.string() }),
  z.looseObject({ type: z.literal('function_call_output'), call_id: z.string(), output: z.union([z.string(), z.array(z.unknown())]) }),
  z.looseObject({ type: z.literal('reasoning'), summary: z.array(z.looseObject({ text: z.string() })).optional() }),
  z.looseObject({ type: z.literal('item_reference'), id: z.string() }),
]);

const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1, 'you must provide a model parameter'),
  input: z.union([z.string(), z.array(inputItemSchema)]).optional(),
  instructions: z.string().nullish(),
  previous_response_id: z.string().nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  tools: z.array(z.union([functionTool, z.looseObject({ type: z.string() })])).optional(),
  tool_choice: z.union([z.enum(['auto', 'none', 'required']), z.looseObject({ type: z.literal('function'), name: z.string() })]).optional(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z
    .looseObject({
      format: z
        .union([
          z.looseObject({ type: z.literal('text') }),
          z.looseObject({ type: z.literal('json_object') }),
          z.looseObject({ type: z.literal('json_schema'), name: z.string(), schema: z.record(z.string(), z.unknown()), strict: z.boolean().nullish() }),
        ])
        .optional(),
    })
    .optional(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  reasoning: z.looseObject({ effort: z.enum(['minimal', 'low', 'medium', 'high', 'none']).nullish() }).nullish(),
  user: z.string().optional(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type InputItem = z.infer<typeof inputItemSchema>;
