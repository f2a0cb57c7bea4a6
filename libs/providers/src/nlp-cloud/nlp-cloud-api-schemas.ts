/** The chatbot endpoint's answer: the reply and the history with it appended. */
export interface NlpCloudChatbotResponse {
  response?: string;
  history?: Array<{ input?: string; response?: string }>;
}

/** The generation endpoint's answer, with token counts. */
export interface NlpCloudGenerationResponse {
  generated_text?: string;
  nb_input_tokens?: number;
  nb_generated_tokens?: number;
}

export interface NlpCloudErrorBody {
  detail?: string | Array<{ msg?: string }>;
}
